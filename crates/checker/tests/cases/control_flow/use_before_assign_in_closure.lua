-- A closure may run after the assignment: not reported there.
local function f(): () -> string
    local s: string
    local g = function(): string
        return s
    end
    s = "x"
    return g
end
print(f())
