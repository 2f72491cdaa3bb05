-- `local x` then `x = …`: the local takes the assigned value's type.
local x
x = "text"
local n: integer = x -- expect-error: cannot assign string to `n`, declared integer
print(n)
