-- ipairs over a typed array gives typed loop variables.
type User = {name: string}
local function names(users: {User}): {string}
    local out = {}
    for i, u in ipairs(users) do
        out[i] = u.name
        print(u.nmae) -- expect-error: no field `nmae` in User; did you mean `name`?
    end
    return out
end
print(names({}))
