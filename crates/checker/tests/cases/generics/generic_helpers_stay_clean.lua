-- Generic helpers used correctly stay clean.
local function keys<K, V>(m: {[K]: V}): {K}
    local out = {}
    for k in pairs(m) do
        table.insert(out, k)
    end
    return out
end
local function filter<T>(xs: {T}, keep: (x: T) -> boolean): {T}
    local out = {}
    for _, x in ipairs(xs) do
        if keep(x) then
            table.insert(out, x)
        end
    end
    return out
end
local ks: {string} = keys({ a = 1, b = 2 })
local evens: {integer} = filter({ 1, 2, 3 }, function(n)
    return n % 2 == 0
end)
print(ks, evens)
