-- The callback's parameter is typed by the bound T.
local function each<T>(xs: {T}, f: (x: T) -> ())
    for _, x in ipairs(xs) do
        f(x)
    end
end
each({ "a" }, function(s)
    print(s:upper())
end)
each({ 1 }, function(n)
    local bad: string = n -- expect-error: cannot assign integer to `bad`, declared string
    print(bad)
end)
