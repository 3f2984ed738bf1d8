pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
-- hello: the smallest bench cart
-- cls and print only: what a frame costs when the cart does almost nothing.
-- rp8 bench cart (our own code). no input needed.

t0=0
function _update()
 t0+=1
end

function _draw()
 cls(1)
 for i=0,7 do
  local x=30+cos((t0+i*4)/60)*6
  print("hello, world",x,14+i*11,8+i)
 end
 print("rp8 bench: hello",32,108,6)
 print("frame "..t0,2,2,13)
end
