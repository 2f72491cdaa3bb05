-- `...` values are any: no nil is proven for them.
local function f(...): integer
    local a, b = ...
    return #tostring(a) + #tostring(b)
end
print(f(1, 2))
