-- A callback's optional parameter is narrowed inside it.
local function each(xs: {string}, f: (s: string?) -> ())
    for _, x in ipairs(xs) do
        f(x)
    end
end
each({"a"}, function(s)
    if s then
        print(s:upper())
    end
end)
