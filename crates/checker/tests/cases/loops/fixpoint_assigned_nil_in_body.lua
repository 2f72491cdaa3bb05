-- A local assigned nil in a loop body may be nil at the head on the next round.
local function f(xs: {integer}): integer
    local last: integer? = 0
    for _, x in ipairs(xs) do
        print(last + 1) -- expect-error: E0000 left operand of `+` may be nil
        if x > 10 then
            last = nil
        else
            last = x
        end
    end
    return 0
end
print(f({1}))
