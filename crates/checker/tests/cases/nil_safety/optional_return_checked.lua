-- The same result checked first is fine.
type User = {name: string}

local function find(id: integer): User?
    if id == 1 then
        return {name = "a"}
    end
    return nil
end

local u = find(1)
if u then
    print(u.name)
end
if not u then
    return
end
print(u.name)
