-- mode: strict
-- In strict mode an element read by index may be nil until narrowed.
local function f(xs: {string}): integer
    local n = 0
    for i = 1, #xs do
        local s = xs[i]
        n = n + #s -- expect-error: E0000 the operand of `#` may be nil
        local t = xs[i]
        if t then
            n = n + #t
        end
    end
    return n
end
print(f({}))
