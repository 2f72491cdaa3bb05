-- A numeric for over integers gives an integer index.
local function f(xs: {string}): integer
    local n: integer = 0
    for i = 1, #xs do
        n = n + i
    end
    return n
end
print(f({"a"}))
