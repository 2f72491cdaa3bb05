-- Testing a field for presence is a probe: no E0004, and the guarded block may use it.
type Item = {name: string}
local function label(i: Item): string
    if i.title then
        return i.title
    end
    return i.name
end
print(label({ name = "x" }))
