-- A recursive function's inferred returns are usable at its calls.
local function depth(t: any, n: integer): integer
    if type(t) ~= "table" then
        return n
    end
    return depth(t[1], n + 1)
end
print(depth({}, 0) + 1)
