-- Arguments are checked against annotated parameters.
local function repeat_str(s: string, n: integer): string
    return string.rep(s, n)
end
print(repeat_str(3, 2)) -- expect-error: argument 1 (s) is integer, not string
print(repeat_str("a", "b")) -- expect-error: argument 2 (n) is string, not integer
