-- A callback's optional parameter used without a check.
local function each(xs: {string}, f: (s: string?) -> ())
    for _, x in ipairs(xs) do
        f(x)
    end
end
each({"a"}, function(s: string?)
    print(s:upper()) -- expect-error: E0021 cannot call a method of `s`: it may be nil
end)
