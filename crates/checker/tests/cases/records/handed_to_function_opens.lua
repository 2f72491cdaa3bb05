-- A table handed to a function may be filled by it.
type Pair = {left: string, right: string}
local function fill(t: table)
    t.left, t.right = "a", "b"
end
local function show(p: Pair): string
    return p.left .. p.right
end
local t = {}
fill(t)
print(show(t))
