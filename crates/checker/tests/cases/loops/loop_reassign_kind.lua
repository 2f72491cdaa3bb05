-- A local assigned another kind in the loop has both kinds at the head: the second round calls a string method on an integer.
local function f(xs: {integer}): string
    local v = "start"
    for _, x in ipairs(xs) do
        print(v:upper()) -- expect-error: E0022 no method `upper` in integer, a member of string | integer
        v = x
    end
    return tostring(v)
end
print(f({}))
