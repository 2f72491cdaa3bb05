-- A function value whose parameter does not accept what the caller passes.
local function each(xs: {string}, f: (s: string) -> ())
    for _, x in ipairs(xs) do
        f(x)
    end
end
each({ "a" }, function(n: integer) -- expect-error: argument 2 (f): parameter 1 is string, not integer
    print(n)
end)
