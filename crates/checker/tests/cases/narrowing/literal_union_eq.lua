-- Equality with a literal narrows a literal union.
type Mode = "read" | "write"
local function f(m: Mode): integer
    if m == "read" then
        local r: "read" = m
        print(r)
        return 1
    end
    local w: "write" = m
    print(w)
    return 2
end
print(f("read"))
