-- Its value used before the error is checked.
type U = {name: string}
local function load(id: string): (U?, string?)
    if id == "" then
        return nil, "empty id"
    end
    return {name = id}, nil
end
local u, err = load("a")
print(u.name, err) -- expect-warning: E0023 cannot index `u`: it may be nil
