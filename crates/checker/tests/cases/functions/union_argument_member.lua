-- Every member of a union argument must fit.
local function need(s: string): string
    return s
end
local function pick(flag: boolean): string | integer
    if flag then
        return "a"
    end
    return 1
end
print(need(pick(true))) -- expect-error: argument 1 (s) is string | integer, not string (its member integer does not fit)
