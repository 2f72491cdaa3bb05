-- Fields written with computed keys may be any: the table's fields are then not known.
type Pair = {left: string, right: string}
local function show(p: Pair): string
    return p.left .. p.right
end
local t = {}
for _, k in ipairs({ "left", "right" }) do
    t[k] = k
end
print(show(t))
