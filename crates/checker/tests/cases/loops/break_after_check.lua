-- Checked after the loop: fine.
type Item = {id: integer, name: string}
local function find(items: {Item}, id: integer): string
    local found: Item? = nil
    for _, it in ipairs(items) do
        if it.id == id then
            found = it
            break
        end
    end
    if not found then
        return ""
    end
    return found.name
end
print(find({}, 1))
