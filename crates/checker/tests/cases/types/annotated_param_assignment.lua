-- An annotated parameter keeps its declared type: assignments are checked.
local function f(n: integer): integer
    n = n + 1
    n = "x" -- expect-error: cannot assign string to `n`, declared integer
    return n
end
print(f(1))
