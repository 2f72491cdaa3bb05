-- A float literal in a record field declared integer.
type Page = {size: integer}
local function fetch(p: Page): integer
    return p.size
end
print(fetch({ size = 2.5 })) -- expect-error: argument 1 (p): field `size` is number, not integer
