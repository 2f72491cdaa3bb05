-- An inferred record return keeps its fields for callers.
local function make_user(name: string)
    return { name = name, admin = false }
end
local u = make_user("x")
local n: string = u.name
local a: integer = u.admin -- expect-error: cannot assign boolean to `a`, declared integer
print(n, a)
