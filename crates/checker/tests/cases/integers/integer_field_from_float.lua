-- A float stored in a declared integer field.
type Cursor = {line: integer, col: integer}
local function move(c: Cursor, by: number)
    c.line = c.line + 1
    c.col = c.col + by -- expect-error: cannot assign number to field `col` of Cursor, declared integer
end
move({ line = 1, col = 1 }, 2)
