pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
-- platformer: about 40 objects with methods and metatables
-- a player, walkers and coins share a base class through __index;
-- every object moves against the map (solid tiles are flag 0) and
-- dust and sparkles are particle objects.
-- input: left/right run, o jumps (see platformer.input).
-- rp8 bench cart (our own code and art).

obj={}
obj.__index=obj

function obj.new(cls,x,y)
 local o=setmetatable({x=x,y=y,dx=0,dy=0,w=6,h=7,ground=false,dead=false},cls)
 o:init()
 return o
end

function obj:init() end
function obj:solid_at(x,y)
 return fget(mget(x\8,y\8),0)
end

function obj:hits_map(x,y)
 return self:solid_at(x,y) or self:solid_at(x+self.w,y)
  or self:solid_at(x,y+self.h) or self:solid_at(x+self.w,y+self.h)
end

function obj:move()
 self.dy=min(self.dy+0.25,3)
 local nx=self.x+self.dx
 if self:hits_map(nx,self.y) then
  self.dx=0
  self:bump()
 else
  self.x=nx
 end
 local ny=self.y+self.dy
 self.ground=false
 if self:hits_map(self.x,ny) then
  if self.dy>0 then self.ground=true end
  self.dy=0
 else
  self.y=ny
 end
end

function obj:bump() end
function obj:touches(o)
 return abs(self.x-o.x)<7 and abs(self.y-o.y)<7
end

-- subclasses: a class is a table whose metatable is its parent
function class(parent)
 local c=setmetatable({},parent)
 c.__index=c
 return c
end

player=class(obj)
function player:init() self.spr=1 self.score=0 end
function player:update()
 local b=0
 if btn(0) then self.dx=-1.2 self.flip=true b=1
 elseif btn(1) then self.dx=1.2 self.flip=false b=1
 else self.dx*=0.6 end
 if btnp(4) and self.ground then
  self.dy=-3.6
  for i=1,6 do dust:new(self.x+3,self.y+7) end
 end
 self:move()
 if b>0 and self.ground and rnd()<0.3 then dust:new(self.x+3,self.y+7) end
 if self.y>140 then self.x=16 self.y=80 self.dy=0 end
end

walker=class(obj)
function walker:init() self.spr=2 self.dx=rnd()<0.5 and -0.5 or 0.5 end
function walker:bump() self.dx=-self.dx end
function walker:update()
 local d=self.dx
 self:move()
 if self.dx==0 then self.dx=-d end
 if self.y>140 then self.y=0 end
end

coin=class(obj)
function coin:init() self.spr=3 self.t=rnd(8) end
function coin:update()
 self.t+=0.2
 if hero:touches(self) then
  self.dead=true
  hero.score+=1
  for i=1,10 do spark:new(self.x+3,self.y+3) end
 end
end
function coin:draw() spr(3+(self.t\2)%2,self.x,self.y+sin(self.t/8)) end

dust=class(obj)
function dust:init()
 self.dx=rnd(2)-1 self.dy=-rnd(1) self.life=10+rnd(10) self.c=6
end
function dust:update()
 self.x+=self.dx self.y+=self.dy self.dy+=0.05
 self.life-=1
 if self.life<0 then self.dead=true end
end
function dust:draw() pset(self.x,self.y,self.life>8 and self.c or 5) end
function dust:new(x,y) add(parts,obj.new(self,x,y)) end

spark=class(dust)
function spark:init() dust.init(self) self.c=10 self.dy=-rnd(2) end

function obj:draw() spr(self.spr,self.x,self.y,1,1,self.flip) end

function _init()
 -- build the level: ground with gaps, platforms, walls
 for x=0,31 do
  for y=0,15 do mset(x,y,0) end
  if x%11!=10 then mset(x,14,16) mset(x,15,17) end
 end
 for x=4,8 do mset(x,10,18) end
 for x=13,18 do mset(x,7,18) end
 for x=22,27 do mset(x,11,18) end
 mset(0,13,17) mset(31,13,17) mset(0,12,17) mset(31,12,17)
 parts={}
 things={}
 hero=obj.new(player,16,80)
 add(things,hero)
 for i=1,12 do add(things,obj.new(walker,8+i*19%240,20+i*7%60)) end
 for i=1,27 do add(things,obj.new(coin,6+i*9,30+(i*23)%70)) end
end

function _update()
 for o in all(things) do o:update() end
 for p in all(parts) do p:update() end
 for i=#things,1,-1 do if things[i].dead then deli(things,i) end end
 for i=#parts,1,-1 do if parts[i].dead then deli(parts,i) end end
 -- keep the scene full: coins come back
 if #things<40 then add(things,obj.new(coin,rnd(240)+8,rnd(60)+20)) end
end

function _draw()
 cls(12)
 local cx=mid(0,hero.x-60,128)
 camera(cx,0)
 circfill(cx+100,24,12,7)
 map(0,0,0,0,32,16)
 for o in all(things) do o:draw() end
 for p in all(parts) do p:draw() end
 camera()
 print("coins "..hero.score,2,2,7)
 print(#things.." objects "..#parts.." parts",2,9,1)
end
__gfx__
00000000004444000000000000aaaa00000aa0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
0000000004ffff0000bbbb000a9999a000a99a000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
0000000004f1f1000bbbbbb0a97999aa00a79a000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
0000000004ffff00bb7bb7bba99799a900a97a000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
0000000000888800bb0bb0bba99979a900a99a000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
000000000f8888f0bbbbbbbba99999a900a99a000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
0000000000222200b3bbbb3b0a9999a000a99a000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
00000000004004000330033000aaaa00000aa0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
3b3bb3b3444444447666666700000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
b3bb33bb4f444444d555555d00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
34b3443b44444f44d5d55d5d00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
4444444444444444dd5dd5dd00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
44f44444444f44440d0000d000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
44444f44444444440000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
4444444ff44444f40000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
f4444444444444440000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
__gff__
0000000000000000000000000000000001010100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
