-- The state at `break` joins the loop's exit: found may be nil after the loop.
type Item = {id: integer, name: string}
local function find(items: {Item}, id: integer): string
    local found: Item? = nil
    for _, it in ipairs(items) do
        if it.id == id then
            found = it
            break
        end
    end
    return found.name -- expect-error: E0023 cannot index `found`: it may be nil
end
print(find({}, 1))
