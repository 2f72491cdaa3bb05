-- `x or default` joins the two: integer into number stays a number.
local function f(n: number?): number
    local v = n or 0
    return v
end
local function g(s: string?): string
    local v = s or "none"
    return v
end
print(f(nil), g(nil))
