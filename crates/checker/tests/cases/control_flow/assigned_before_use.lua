-- Assigned before any use: fine.
local function f(): string
    local s: string
    s = "x"
    return s
end
print(f())
