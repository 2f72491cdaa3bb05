-- A function literal passed where a signature is declared gets its parameter types.
local function each(xs: {string}, f: (s: string, i: integer) -> ())
    for i, x in ipairs(xs) do
        f(x, i)
    end
end
each({ "a" }, function(s, i)
    print(s:upper(), i + 1)
    print(s:uper()) -- expect-error: no field `uper` on module string
end)
