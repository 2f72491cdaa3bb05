-- `^` gives a float too.
local function squares(n: integer): {integer}
    local out = {}
    for i = 1, n do
        out[i] = i * i
    end
    return out
end
print(squares(2 ^ 3)) -- expect-error: argument 1 (n) is number, not integer
print(squares(8))
