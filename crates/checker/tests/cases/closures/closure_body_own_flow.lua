-- A closure's own narrowings stay inside it.
local function f(x: string?): string
    local g = function(): string
        if not x then
            return ""
        end
        return x
    end
    return g() .. (x or "")
end
print(f(nil))
