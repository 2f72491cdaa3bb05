-- Records are structural: a value may carry fields the record does not declare.
type Job = {id: string}
local function accept(j: Job): string
    return j.id
end
local wide = { id = "ready", attempts = 3, owner = "ops" }
print(accept(wide))
print(accept({ id = "x", note = "extra" }))
