-- `map<T, U>` binds T from the array and U from the callback's returns.
local function map<T, U>(xs: {T}, f: (x: T) -> U): {U}
    local out = {}
    for i, x in ipairs(xs) do
        out[i] = f(x)
    end
    return out
end
local lens: {integer} = map({ "a", "bb" }, function(s)
    return #s
end)
local names: {string} = map({ 1, 2 }, function(n) -- expect-error: cannot assign to `names`: element `[…]` is integer, not string
    return n * 2
end)
print(lens, names)
