-- A function declared to return `User?` whose result is indexed at once.
type User = {name: string, email: string}

local function find(id: integer): User?
    if id == 1 then
        return {name = "a", email = "a@x"}
    end
    return nil
end

print(find(1).name) -- expect-error: E0023 cannot index `find(…)`: it may be nil (`find(…)` may return nil)
local u = find(2)
print(u.email) -- expect-error: E0023 cannot index `u`: it may be nil
