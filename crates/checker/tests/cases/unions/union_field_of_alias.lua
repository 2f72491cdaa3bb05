-- A union named by an alias is named in the message.
type Cat = {meow: () -> string}
type Dog = {bark: () -> string}
type Pet = Cat | Dog
local function f(p: Pet): string
    return p.meow() -- expect-error: E0004 no field `meow` in Dog, a member of Pet
end
print(f)
