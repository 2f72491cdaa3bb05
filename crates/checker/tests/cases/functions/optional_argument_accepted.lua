-- A value that may be nil is accepted where the parameter is optional, and once narrowed.
local function need(s: string): string
    return s
end
local function maybe(s: string?): string
    return s or ""
end
local m = string.match("ab", "a")
print(maybe(m))
if m then
    print(need(m))
end
print(need(m)) -- expect-warning: argument 1 (s) may be nil, expected string
