-- A returned float where an integer is declared.
local function mid(a: integer, b: integer): integer
    return (a + b) / 2 -- expect-error: returned value 1 is number, not integer
end
local function mid_ok(a: integer, b: integer): integer
    return (a + b) // 2
end
print(mid(1, 3), mid_ok(1, 3))
