-- After a loop that may assign nil, the local may be nil.
local function f(xs: {integer}): integer
    local last: integer? = 0
    for _, x in ipairs(xs) do
        if x < 0 then
            last = nil
        end
    end
    return last + 1 -- expect-error: E0000 left operand of `+` may be nil
end
print(f({}))
