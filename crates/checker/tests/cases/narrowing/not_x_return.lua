-- `if not x then return end`.
local function f(x: {n: integer}?): integer
    if not x then
        return 0
    end
    return x.n
end
print(f(nil))
