-- A value that may be nil is accepted where a value is required (nil safety comes with narrowing).
local function need(s: string): string
    return s
end
local m = string.match("ab", "a")
print(need(m))
