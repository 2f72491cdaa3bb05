-- An unannotated local keeps its initial type while assignments fit it.
local name = "a"
name = "b"
local n: integer = name -- expect-error: cannot assign string to `n`, declared integer
print(n)
