-- An unannotated `local x` is nil until assigned; nothing is declared, so no E0015.
local function f(b: boolean): any
    local x
    if b then
        x = 1
    end
    return x
end
print(f(true))
