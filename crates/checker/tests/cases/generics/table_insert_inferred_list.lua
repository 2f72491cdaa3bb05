-- A list built in code takes any item: its element type is only what was seen.
local items = { { kind = "a", n = 1 } }
table.insert(items, { kind = "b", label = "x" })
table.insert(items, "c")
print(#items)
