-- nil where a value is required.
local function need(s: string): string
    return s
end
print(need(nil)) -- expect-error: argument 1 (s) is nil, not string
