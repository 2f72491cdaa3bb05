-- `x or ""` is a string.
local function f(x: string?): string
    local s = x or ""
    return s:upper()
end
print(f(nil))
