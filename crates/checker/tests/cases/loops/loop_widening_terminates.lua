-- A local whose type grows each round still ends (widening).
local function f(n: integer): any
    local v: any = 0
    for _ = 1, n do
        v = { v }
    end
    return v
end
print(f(3))
