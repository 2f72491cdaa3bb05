-- Elements of arrays of records are checked.
type Row = {id: integer, name: string}
local function count(rows: {Row}): integer
    return #rows
end
print(count({ { id = 1, name = "a" }, { id = 2, name = "b" } }))
print(count({ { id = 1 } })) -- expect-error: missing field `name` in element `[…]` (Row)
