-- `f()!` asserts a call's result.
type P = {name: string}
local function find(): P?
    return {name = "a"}
end
print(find()!.name)
