-- A closure assigning an upvalue: after it may have run, the local holds either value.
local function f(): integer
    local n: integer? = 1
    local reset = function()
        n = nil
    end
    reset()
    return n + 1 -- expect-error: E0000 left operand of `+` may be nil
end
print(f())
