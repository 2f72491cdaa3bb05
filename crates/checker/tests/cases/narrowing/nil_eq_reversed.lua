-- `nil ~= x`, the operands reversed.
local function f(x: string?): integer
    if nil ~= x then
        return #x
    end
    return 0
end
print(f(nil))
