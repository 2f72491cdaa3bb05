-- A function of the chunk returning `(T?, string?)` is a pair too.
type U = {name: string}
local function load(id: string): (U?, string?)
    if id == "" then
        return nil, "empty id"
    end
    return {name = id}, nil
end
local u, err = load("a")
if err then
    error(err)
end
print(u.name)
