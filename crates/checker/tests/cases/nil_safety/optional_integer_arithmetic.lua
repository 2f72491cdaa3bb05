-- `n + 1` with `n: integer?`.
local function next_id(n: integer?): integer
    return n + 1 -- expect-error: E0000 left operand of `+` may be nil (`n` is declared integer?)
end
print(next_id(1))
