-- `self` of a method is the table or an instance of it: it may have more fields.
type Counter = {count: integer, step: integer}
local C = {}
C.__index = C
function C.new(step: integer): Counter
    return setmetatable({ count = 0, step = step }, C) :: Counter
end
function C:advance(): Counter
    self.count = self.count + self.step
    return self
end
print(C.new(2))
